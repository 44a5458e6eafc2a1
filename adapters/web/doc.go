// Package web is the support centre's web door: server-rendered pages (html/template,
// embedded with the CSS, the vendored htmx and the FAQ text), served by `ledgerdesk serve`
// next to the HTTP API. Pages are thin: they parse a form, call the application layer
// (app.App) as app.Web, and render the answer; nothing a page does is out of the API's
// reach. Sign-in sessions are the API's own (the same cookie and sessions table, lent
// through the Sessions port), so signing in on either door signs in on both.
//
// Every response carries a strict Content-Security-Policy (no inline script or style),
// nosniff and a same-origin referrer policy; every state-changing request passes Go's
// http.CrossOriginProtection (Sec-Fetch-Site / Origin), and a refused one gets the 403
// page. Every page works without JavaScript. Nothing personal goes into a URL or a log
// line: forms are POSTed, and the log carries the route, the status and the account id.
package web
