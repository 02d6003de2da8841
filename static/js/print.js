// Buttons marked data-print print the page (the Content-Security-Policy allows no inline handler).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
});
