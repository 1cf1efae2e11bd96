// Progressive enhancement: keep a draft of a filing form in this browser (localStorage), only
// when the complainant ticks "Keep a draft on this device" (a phone may be shared). Nothing
// leaves the device before the form is sent; the draft is forgotten when the box is unticked,
// when "Forget" is pressed, and once the form is filed (the receipt page says so).
(function () {
  "use strict";
  var PREFIX = "redress-draft:";
  var store = null;
  try { store = window.localStorage; } catch (e) { return; }  // storage blocked
  if (!store) { return; }

  var filed = document.querySelector("[data-draft-filed]");
  if (filed) { store.removeItem(PREFIX + filed.getAttribute("data-draft-filed")); }

  var box = document.querySelector("[data-draft]");
  var form = box && box.closest("form");
  if (!form) { return; }
  var key = PREFIX + box.getAttribute("data-draft");
  var keep = box.querySelector("input[type=checkbox]");
  var forget = box.querySelector("[data-draft-forget]");
  var status = box.querySelector("[data-draft-status]");

  // What a draft holds: the form's own fields a person fills in; no token, no file.
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !/^(hidden|file|submit|button|reset)$/.test(el.type);
    });
  }

  function save() {
    var kept = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        kept[el.name] = kept[el.name] || [];
        if (el.checked) { kept[el.name].push(el.value); }
      } else {
        kept[el.name] = el.value;
      }
    });
    try { store.setItem(key, JSON.stringify(kept)); } catch (e) { /* full: keep none */ }
  }

  function restore(kept) {
    fields().forEach(function (el) {
      if (!(el.name in kept)) { return; }
      var value = kept[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
      } else if (typeof value === "string") {
        el.value = value;
      }
    });
  }

  var kept = null;
  try { kept = JSON.parse(store.getItem(key) || "null"); } catch (e) { kept = null; }
  if (kept && typeof kept === "object") {
    keep.checked = true;
    // A form the server sent back (a problem) holds what was just sent: newer than the draft.
    if (!document.getElementById("error-summary")) { restore(kept); }
    save();
  }

  function changed() { if (keep.checked) { save(); } }
  form.addEventListener("input", changed);
  form.addEventListener("change", function (event) {
    if (event.target !== keep) { changed(); }
  });
  keep.addEventListener("change", function () {
    status.textContent = "";
    if (keep.checked) { save(); } else { store.removeItem(key); }
  });
  forget.addEventListener("click", function () {
    store.removeItem(key);
    keep.checked = false;
    status.textContent = status.getAttribute("data-forgotten");
  });
  box.hidden = false;
})();
