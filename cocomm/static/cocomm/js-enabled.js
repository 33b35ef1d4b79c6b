// Loaded (not deferred) at the top of <body>, as the NHS.UK page template does inline: the classes are
// set before anything is drawn, so nothing jumps once the components start. Kept in a file so the
// Content-Security-Policy can forbid inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
