// The "Print this agreement" button (inline handlers are blocked by the Content-Security-Policy).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
