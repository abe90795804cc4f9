/* spor serve: what the page adds when JavaScript runs. Everything works without it (links and forms);
   this adds number keys for the answers, the copy button for the reply, and dropping evidence files.
   It makes no request of its own. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // Number keys: 1-9 press the answer of that number, 0 "don't know"; ? opens or closes WHY.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (/^[0-9]$/.test(event.key)) {
      var button = document.querySelector('form.answers button[data-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    } else if (event.key === "?") {
      var why = document.querySelector("details.why");
      if (why) {
        event.preventDefault();
        why.open = !why.open;
        why.querySelector("summary").focus();
      }
    }
  });

  // The copy button: the reply's text to the clipboard, and a word saying it is done (or how to do it by hand).
  function copied(button, ok) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) status.textContent = ok ? button.getAttribute("data-done") : button.getAttribute("data-failed");
    button.setAttribute("data-copied", ok ? "yes" : "no");
  }
  function fallback(button, text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    copied(button, ok);
  }
  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var text = source ? source.textContent.trim() : "";
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { copied(button, true); },
          function () { fallback(button, text); }
        );
      } else {
        fallback(button, text);
      }
    });
  });

  // Evidence: a file picked is sent at once; files dropped on the form are sent the same way.
  Array.prototype.forEach.call(document.querySelectorAll("form.drop"), function (form) {
    var input = form.querySelector('input[type="file"]');
    if (!input) return;
    input.addEventListener("change", function () {
      if (input.files && input.files.length) form.submit();
    });
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (event) {
        event.preventDefault();
        form.classList.add("over");
      });
    });
    form.addEventListener("dragleave", function () {
      form.classList.remove("over");
    });
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      form.classList.remove("over");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        form.submit();
      }
    });
  });
})();
