// Package account is the decider for a person's login account: registration, profile,
// password changes and resets, two-factor authentication, blocked IP addresses, clinicians'
// payee bank details, and the consent a user gives IT support to change their password or
// log in as them.
//
// An account lives in one realm: "portal" (patients, clinicians, the accounts department)
// or "support" (the support site where tickets are raised, and its agents). The same email
// may register once in each realm and the two accounts are distinct, as the support centre
// tells its users ("these are not the same details you use to log in to the portal").
//
// No secret is ever written to an event. Passwords arrive in commands only so that Decide
// can check the password policy; the command layer hashes them with HashPassword into a
// credentials table outside the event history. A reset token is stored only as its SHA-256
// hash, and a TOTP secret only as a reference to where the command layer keeps it.
package account
