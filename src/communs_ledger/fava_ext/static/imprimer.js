// communs-ledger: opens the browser's print dialog (print, or save as PDF) on the
// printable report. A static file: the pages' Content-Security-Policy allows scripts
// from this site only, never inline.
window.addEventListener("load", () => window.print());
