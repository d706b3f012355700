/* Keyboard shortcuts, for any page, from markup alone:
   - an element with data-key="x" (and data-key-label="what it does") is clicked when x is
     pressed, or focused if it is a text box or a list;
   - data-key-help="x" with data-key-label only lists a key another script handles;
   - a table or list marked data-key-rows, whose rows are marked data-row (tabindex=-1):
     j / k move the focus between rows, x ticks the row's checkbox, o or Enter opens its link;
   - ? opens the dialog (#shortcuts-dialog, in base.html) listing the page's keys.
   Keys never fire while typing in a field, inside an open dialog, or with Ctrl, Alt or Cmd. */
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])"));
  }

  function visible(element) {
    return element.getClientRects().length > 0 || element.tagName === "SELECT";
  }

  function keyed(key) {
    var found = null;
    document.querySelectorAll("[data-key]").forEach(function (element) {
      if (!found && element.getAttribute("data-key") === key && !element.disabled && visible(element)) found = element;
    });
    return found;
  }

  function rows() {
    var list = document.querySelector("[data-key-rows]");
    return list ? Array.prototype.slice.call(list.querySelectorAll("[data-row]")) : [];
  }

  function currentRow() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("[data-row]") : null;
  }

  function moveRow(step) {
    var all = rows();
    if (!all.length) return false;
    var index = all.indexOf(currentRow());
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    all.forEach(function (row) { row.classList.remove("row-focused"); });
    all[next].classList.add("row-focused");
    all[next].focus();
    all[next].scrollIntoView({ block: "nearest" });
    return true;
  }

  function rowAction(key) {
    var row = currentRow();
    if (!row) return false;
    if (key === "x") {
      var box = row.querySelector("input[type=checkbox]");
      if (!box) return false;
      box.click();  // a click, so change listeners (the selected count) hear it
      row.focus();
      return true;
    }
    var link = row.querySelector("a[href]");
    if (!link) return false;
    link.click();
    return true;
  }

  function openDialog() {
    var dialog = document.getElementById("shortcuts-dialog");
    if (!dialog || dialog.open) return false;
    var list = dialog.querySelector("[data-shortcuts-list]");
    list.replaceChildren();
    var seen = {};
    document.querySelectorAll("[data-key-label]").forEach(function (element) {
      var key = element.getAttribute("data-key") || element.getAttribute("data-key-help");
      if (!key || seen[key]) return;
      seen[key] = true;
      var row = document.createElement("tr");
      var keyCell = document.createElement("td");
      var kbd = document.createElement("kbd");
      kbd.textContent = key;
      keyCell.appendChild(kbd);
      var what = document.createElement("td");
      what.textContent = element.getAttribute("data-key-label");
      row.append(keyCell, what);
      list.appendChild(row);
    });
    dialog.showModal();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    var key = event.key;
    var handled = false;
    if (key === "?") {
      handled = openDialog();
    } else if (key === "j" || key === "k") {
      handled = moveRow(key === "j" ? 1 : -1);
    } else if (key === "x" || key === "o" || (key === "Enter" && event.target === currentRow())) {
      handled = rowAction(key);
    }
    if (!handled && key.length === 1) {
      var element = keyed(key);
      if (element) {
        if (element.matches("input:not([type=checkbox]):not([type=radio]), textarea, select")) element.focus();
        else element.click();
        handled = true;
      }
    }
    if (handled) event.preventDefault();
  });
})();
