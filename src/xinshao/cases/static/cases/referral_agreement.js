// The referral form asks why only when the chosen agency has no valid service agreement with the school.
(function () {
  var agency = document.getElementById("id_agency");
  var box = document.getElementById("without-agreement");
  var data = document.getElementById("agencies-with-agreement");
  if (!agency || !box || !data) return;
  var covered = JSON.parse(data.textContent).map(String);
  var alwaysShown = box.querySelector(".errorlist") !== null;
  function update() {
    box.hidden = !alwaysShown && covered.indexOf(agency.value) !== -1;
  }
  agency.addEventListener("change", update);
  update();
})();
