// The staff queue refreshes itself: htmx polls its table. A refresh waits while someone is
// using the table (an "assign to someone" menu open, or the keyboard focus inside it), so
// neither is lost under them; it happens at the next poll after.
document.addEventListener('htmx:beforeRequest', function (e) {
  var queue = document.getElementById('queue');
  if (!queue || e.detail.elt !== queue) return;
  if (queue.querySelector('details[open]') || queue.contains(document.activeElement)) e.preventDefault();
});
