// Package authz is the vocabulary of authorization: the roles of the people who use
// ledgerdesk, the actor acting, what a record is to them (Resource) and how far a role's
// permission reaches (Scope). It holds no rules of its own: each operation of the
// application layer states its rule where it is registered, and the layer checks it there
// for every door alike. Pure: no I/O, no project imports.
package authz
