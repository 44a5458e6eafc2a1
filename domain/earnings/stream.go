package earnings

// StreamCategory names this aggregate's streams: "earnings-<id>".
const StreamCategory = "earnings"

// StreamID is the stream of one earnings.
func StreamID(id string) string { return StreamCategory + "-" + id }
