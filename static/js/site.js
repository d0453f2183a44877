// Progressive enhancement only: every page works without this file.
"use strict";

// After a failed save, move focus to the summary of what went wrong, so
// keyboard and screen-reader users start from the list of problems.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
