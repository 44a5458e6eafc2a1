package payout

// StreamCategory names this aggregate's streams: "payout-<id>".
const StreamCategory = "payout"

// StreamID is the stream of one payout.
func StreamID(id string) string { return StreamCategory + "-" + id }
