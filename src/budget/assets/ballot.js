// The ballot's running total, live. Progressive enhancement only: without this script the
// "Update total" button asks the server for the same figures, and the server checks every ballot.
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  var out = document.getElementById("cart-total-text");
  var box = document.getElementById("cart-total");
  if (!form || !out || !box) return;
  var type = form.getAttribute("data-type");
  var budget = Number(form.getAttribute("data-budget"));
  var limit = Number(form.getAttribute("data-limit"));
  var currency = form.getAttribute("data-currency");
  var loc = form.getAttribute("data-locale") || "en-US";
  var money = currency === "XXX"
    ? new Intl.NumberFormat(loc)
    : new Intl.NumberFormat(loc, { style: "currency", currency: currency, maximumFractionDigits: 0, minimumFractionDigits: 0 });
  var number = new Intl.NumberFormat(loc);
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }
  function text(name) { return form.getAttribute("data-text-" + name) || ""; }
  function update() {
    var total = 0, count = 0, points = 0, over = false, message;
    var inputs = form.querySelectorAll("input[data-cost]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var cost = Number(input.getAttribute("data-cost"));
      if (input.type === "checkbox") {
        if (input.checked) { total += cost; count += 1; }
      } else {
        var value = Math.max(0, Math.floor(Number(input.value) || 0));
        if (value > 0) { points += value; count += 1; total += cost; }
      }
    }
    if (type === "approval_budget") {
      over = total > budget;
      message = over
        ? fill(text("over"), { total: money.format(total), budget: money.format(budget), over: money.format(total - budget) })
        : fill(text("total"), { total: money.format(total), budget: money.format(budget), left: money.format(budget - total) });
    } else if (type === "pick_n") {
      over = count > limit;
      message = fill(text(over ? "too-many" : "picked"), { count: number.format(count), n: number.format(limit) });
    } else {
      over = points > limit;
      message = fill(text(over ? "points-over" : "points"), { used: number.format(points), total: number.format(limit) });
    }
    out.textContent = message;
    box.classList.toggle("over", over);
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  // With the total live, the button that only recomputes it is not needed.
  var updateButton = document.getElementById("update-total");
  if (updateButton) updateButton.hidden = true;
  update();
})();
