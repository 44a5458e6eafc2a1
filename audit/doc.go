// Package audit is what an auditor runs against the history: every event of a stream with
// who caused it and why (History), an aggregate's state as it stood at any past moment
// (AsOf), a replay of every read model into shadow schemas compared table by table with the
// live ones (Replay), and an export of the history as CloudEvents (Export). Personal data is
// read through the codec, so whatever was erased reads as erased everywhere here; tamper
// evidence (the hash chain over the events) lives with the event store, in
// adapters/postgres (Chain).
package audit
