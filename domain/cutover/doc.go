// Package cutover is the one system stream that holds the V1 → V2 go-live date.
//
// The go-live date decides, for every piece of work, which back office pays it, so it is
// recorded as events rather than read from configuration: an auditor replaying history sees
// when it was set, whether it moved, and when the cutover actually happened. Once go-live
// day has begun in Europe/London the date is fixed, because earnings recorded from then on
// already say which ledger they belong to and moving the date would contradict them.
package cutover
