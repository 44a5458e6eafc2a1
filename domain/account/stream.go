package account

// StreamCategory names this aggregate's streams: "account-<id>" (see StreamID).
const StreamCategory = "account"
