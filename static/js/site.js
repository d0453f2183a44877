// Progressive enhancement only: every page works without this file.
"use strict";

// Where a page starts for keyboard and screen-reader users: after a failed save, the
// summary of what went wrong (or, on a page without one, the first field refused: a
// search box, the enroll menu); after a save, the message that says what was done (a
// message already on the page when it loads is not read out unless it has the focus).
document.addEventListener("DOMContentLoaded", () => {
  const start =
    document.getElementById("error-summary") ||
    document.querySelector("[aria-invalid=true]") ||
    document.querySelector("#messages > li");
  if (start) {
    start.focus();
  }
});

// A form already on its way is not sent again. A second Enter or click before the
// answer comes would send a second save, whose answer (this student already exists,
// this enrollment is gone) replaces the first one's.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.method !== "post" || event.defaultPrevented) {
    return;
  }
  if (form.dataset.sent) {
    event.preventDefault();
  }
  form.dataset.sent = "yes";
});

// A page the browser kept and shows again (Back): its forms can be sent again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    document.querySelectorAll("form[data-sent]").forEach((form) => delete form.dataset.sent);
  }
});
