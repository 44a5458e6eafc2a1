// Package mail delivers the support centre's email: over SMTP to the practice's mail
// server (github.com/wneessen/go-mail), or, where there is none (development, `make run`),
// as .eml files in a directory. Both implement the mail policies' Transport
// (policies/mail), and both write the same message: plain text, UTF-8, the message id as
// its Message-ID.
package mail
