// Progressive enhancement: a print button, shown only when scripts run.
(function () {
  var button = document.getElementById("print");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
