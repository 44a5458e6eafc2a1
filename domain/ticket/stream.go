package ticket

// StreamCategory names this aggregate's streams: "ticket-<id>" (see StreamID).
const StreamCategory = "ticket"
