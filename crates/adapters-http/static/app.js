// The site's only script: the theme toggle (remembered in localStorage), showing
// <time data-local> in the browser's time zone, and reading a chosen CSV file into the
// import form's text box. Pages work fully without it.
(function () {
  "use strict";
  var KEY = "theme";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  // Apply a remembered choice before the page paints.
  var saved = stored();
  if (saved === "light" || saved === "dark") {
    root.setAttribute("data-theme", saved);
  }

  function current() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) {
      return chosen;
    }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
  }

  function label(button) {
    var next = current() === "dark" ? "light" : "dark";
    button.textContent = "Switch to " + next + " theme";
  }

  function setUpToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) {
      return;
    }
    button.hidden = false;
    label(button);
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        window.localStorage.setItem(KEY, next);
      } catch (e) {
        // Private mode: the choice lasts for this page only.
      }
      label(button);
    });
  }

  function localTimes() {
    if (!window.Intl || !Intl.DateTimeFormat) {
      return;
    }
    var format = new Intl.DateTimeFormat(undefined, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short"
    });
    var times = document.querySelectorAll("time[data-local]");
    for (var i = 0; i < times.length; i++) {
      var element = times[i];
      var when = new Date(element.getAttribute("datetime"));
      if (isNaN(when.getTime())) {
        continue;
      }
      element.setAttribute("title", element.textContent);
      element.textContent = format.format(when);
    }
  }

  // <div data-csv-file> holds a file input, revealed here, whose chosen file is read
  // (as strict UTF-8, at most data-max-bytes) into the textarea named by data-target.
  function csvFiles() {
    var boxes = document.querySelectorAll("[data-csv-file]");
    for (var i = 0; i < boxes.length; i++) {
      (function (box) {
        var input = box.querySelector("input[type=file]");
        var status = box.querySelector("[data-csv-status]");
        var target = document.getElementById(box.getAttribute("data-target"));
        var max = parseInt(box.getAttribute("data-max-bytes"), 10);
        if (!input || !target || !window.FileReader || !window.TextDecoder) {
          return;
        }
        box.hidden = false;
        input.addEventListener("change", function () {
          var file = input.files && input.files[0];
          if (!file) {
            return;
          }
          if (file.size > max) {
            status.textContent = file.name + " is larger than " + Math.floor(max / 1024) + " KB: split it in parts.";
            return;
          }
          var reader = new FileReader();
          reader.onload = function () {
            try {
              target.value = new TextDecoder("utf-8", { fatal: true }).decode(reader.result);
              status.textContent = file.name + " is in the box below: preview it.";
            } catch (e) {
              status.textContent = file.name + " is not UTF-8 text: save it as \"CSV UTF-8\" and try again.";
            }
          };
          reader.readAsArrayBuffer(file);
        });
      })(boxes[i]);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpToggle();
    localTimes();
    csvFiles();
  });
})();
