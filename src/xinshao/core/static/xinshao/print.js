// A link marked data-print prints the page; without scripts it still opens the print layout.
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-print]");
  if (link) { event.preventDefault(); window.print(); }
});
