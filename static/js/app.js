/* Small progressive enhancements. The pages work without JavaScript. */
(function () {
  "use strict";
  // A second click on a submit button while the first request is on its way would
  // send the form twice. The server refuses the duplicate too (one-time form token);
  // this just spares the user the confusion.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once")) return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    // Disable after the browser has collected the form data, so the button's own
    // name/value (if any) is still sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    }, 0);
  });
  // Coming back with the browser's back button restores a page from cache with
  // its buttons still disabled; enable them again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.dataset.submitting = "false";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });

  // The navbar's menu button on narrow screens (markup as Bootstrap's collapse, whose
  // script the pages no longer load): show or hide the target, say which in aria-expanded.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-bs-toggle='collapse']");
    if (!button) return;
    var target = document.querySelector(button.getAttribute("data-bs-target"));
    if (!target) return;
    event.preventDefault();
    var open = target.classList.toggle("show");
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.classList.toggle("collapsed", !open);
  });

  // The director's menu groups (<details class="nav-group">): one open at a time, closed
  // by a click elsewhere or by Escape (focus goes back to the group's own button).
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.nav-group[open]").forEach(function (group) {
      if (!group.contains(event.target)) group.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.nav-group[open]").forEach(function (group) {
      group.open = false;
      group.querySelector("summary").focus();
    });
  });

  // A form came back with errors: move focus to the summary so screen readers read it
  // first (it is role=alert too), and make its links focus the field, not just scroll.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var details = field.closest("details");
    if (details) details.open = true;
    field.focus();
    var label = document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView({ block: "center" });
  });
  // Status messages ("Reply sent.", "Saved.") arrive with the page after a redirect. A
  // live region announces changes, not content that was there on load, so the messages
  // are put back into the (role=status) region a moment after load.
  document.addEventListener("DOMContentLoaded", function () {
    var region = document.getElementById("messages");
    if (!region || !region.children.length) return;
    var messages = Array.prototype.slice.call(region.children);
    messages.forEach(function (message) { region.removeChild(message); });
    window.setTimeout(function () {
      messages.forEach(function (message) { region.appendChild(message); });
    }, 150);
  });
})();
