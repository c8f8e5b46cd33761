// communs-ledger: opens the browser's print dialog (print or save as PDF) on the
// printable report. A static file (no inline script: the pages' Content-Security-Policy
// allows scripts from this site only).
window.addEventListener("load", () => {
  const bouton = document.querySelector("[data-imprimer]");
  if (bouton) {
    bouton.addEventListener("click", () => window.print());
  }
  window.print();
});
