// Package esdb is the EventStoreDB/KurrentDB adapter of the event store port
// (ledgerdesk/eventstore), for deployments that outgrow the embedded Postgres store.
//
// Our stream versions count events from 1; ESDB revisions count from 0, so every
// expectation and read position is translated at this boundary and nowhere else. Global
// positions are ESDB's own commit/prepare positions in its transaction log, which a
// tailing reader can use as a checkpoint without ever skipping an event.
//
// ESDB knows less than the port promises in three places, and this package fills the gaps:
//   - RecordedAt cannot be set on an ESDB event, so an original timestamp travels in our
//     metadata envelope (see envelope.go) and is preferred when reading back.
//   - ESDB event ids are unique only per stream, and its own idempotency check is
//     best-effort for "any version" appends. Each event id is therefore claimed in a small
//     guard stream of its own before the append (see guard.go), which is how an id reused
//     in another stream is refused and how a retry is recognised.
//   - ESDB does not say where an idempotent retry landed, so every append reads its
//     events back: the result is then the same for the first append and for any retry.
package esdb
