/* Xanh: "copy" buttons (the embed code, a page's link) and "share", which hands the link to
   the phone's own share sheet (the Web Share API). Without scripts, or where a browser
   offers neither, the field can be selected and copied by hand. */
(function () {
  var buttons = document.querySelectorAll("button.copy[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-done");
      });
    });
  });
  var shares = document.querySelectorAll("button.share-button[data-share-url]");
  Array.prototype.forEach.call(shares, function (button) {
    if (!navigator.share) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({
        title: button.getAttribute("data-share-title"),
        url: button.getAttribute("data-share-url")
      }).catch(function () {});  /* the reader closed the share sheet */
    });
  });
})();
