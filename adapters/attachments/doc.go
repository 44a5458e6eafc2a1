// Package attachments protects the files attached to support tickets, the identity
// documents above all: Seal/Open encrypt a file at rest with a key per ticket, itself
// wrapped by a master key (WrapKey/UnwrapKey), so that destroying a ticket's wrapped key
// destroys every copy of its documents, backups included.
//
// Pure Go and no I/O: the attachment store adapter calls these around its reads and
// writes. Deciding whether a file may be kept at all (its sniffed type and its size) is
// the port's, in commands/support/attachment.
package attachments
