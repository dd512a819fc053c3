// Starts the GOV.UK Frontend components and the idle-timeout warning (GOV.UK timeout warning pattern).
import { initAll } from "../build/govuk-frontend.min.js";

initAll();

const dialog = document.getElementById("timeout-dialog");
if (dialog) {
  const idleMs = Number(dialog.dataset.idleMinutes) * 60 * 1000;
  const warningMs = Math.max(idleMs - 2 * 60 * 1000, 0);
  let warningTimer;
  let signOutTimer;

  // Only a POST with the page's CSRF token ends a session (a GET of the signed-out page ends nothing, so a link from
  // another site cannot sign anyone out): sign out that way, then show the signed-out message.
  const signOut = async () => {
    try {
      await fetch(dialog.dataset.logoutUrl, {
        method: "POST",
        headers: { "X-CSRFToken": dialog.dataset.csrfToken },
        body: new URLSearchParams({ reason: "idle" }),
        credentials: "same-origin",
        redirect: "manual",
      });
    } finally {
      window.location.assign(dialog.dataset.signedOutUrl);
    }
  };

  const schedule = () => {
    clearTimeout(warningTimer);
    clearTimeout(signOutTimer);
    warningTimer = setTimeout(() => dialog.showModal(), warningMs);
    signOutTimer = setTimeout(signOut, idleMs);
  };

  dialog.querySelector("[data-timeout-stay]").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": dialog.dataset.csrfToken },
      credentials: "same-origin",
    });
    dialog.close();
    if (response.ok) {
      schedule();
    } else {
      signOut();
    }
  });
  schedule();
}

// An allocation run in progress: poll its status and show the proposal when it is ready.
const progress = document.getElementById("run-progress");
if (progress) {
  const poll = async () => {
    const response = await fetch(progress.dataset.statusUrl, { credentials: "same-origin" });
    if (response.ok) {
      const run = await response.json();
      if (run.status !== "queued" && run.status !== "running") {
        window.location.reload();
        return;
      }
      // The best so far, its share of the most possible and the time left, as the page itself shows them.
      const shown = {
        weighted: run.weighted,
        share: run.share_of_bound === null ? null : `${(100 * run.share_of_bound).toFixed(1)}%`,
        "seconds-left": run.seconds_left,
      };
      for (const [name, value] of Object.entries(shown)) {
        const field = progress.querySelector(`[data-progress="${name}"]`);
        if (field && value !== null && value !== undefined) field.textContent = String(value);
      }
    }
    setTimeout(poll, 3000);
  };
  setTimeout(poll, 3000);
}

// Stacked tables (.app-table--stacked) are not displayed as tables on a phone, and some screen readers then stop
// reading them as tables: give every part its table role back (the roles a table has anyway).
const TABLE_ROLES = [
  ["table", "table"],
  ["caption", "caption"],
  ["thead, tbody, tfoot", "rowgroup"],
  ["tr", "row"],
  ["th[scope=col]", "columnheader"],
  ["th[scope=row]", "rowheader"],
  ["td", "cell"],
];
document.querySelectorAll("table.app-table--stacked").forEach((table) => {
  TABLE_ROLES.forEach(([selector, role]) => {
    if (table.matches(selector)) {
      table.setAttribute("role", role);
    }
    table.querySelectorAll(selector).forEach((part) => part.setAttribute("role", role));
  });
});

// A print button (the day sheet): hidden until this script runs, since without it the button could do nothing; the
// page says how to print with the browser instead.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
