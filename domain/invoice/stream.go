package invoice

// StreamCategory names this aggregate's streams: "invoice-<id>".
const StreamCategory = "invoice"

// StreamID is the stream of one invoice.
func StreamID(id string) string { return StreamCategory + "-" + id }
