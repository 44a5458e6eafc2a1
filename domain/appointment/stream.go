package appointment

// StreamCategory names this aggregate's streams: "appointment-<id>".
const StreamCategory = "appointment"

// StreamID is the stream of one appointment.
func StreamID(id string) string { return StreamCategory + "-" + id }
