// Package paymentprovider verifies a payment provider's signed notifications, in the style
// of Stripe's webhooks, for app.PaymentNotifications: the signature header is
// "t=<unix seconds>,v1=<hex HMAC-SHA256>" (other schemes ignored, several v1 allowed while
// a secret is rotated), the HMAC is over "<t>.<raw body>" with the secret from
// configuration, compared in constant time, and the timestamp must be within a tolerance
// of now (default 5 minutes) either way. Only then is the body read as JSON.
package paymentprovider
