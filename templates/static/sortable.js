/* jury — organisers' tables sortable by any column (the Suivi page's jurors and candidates).
 *
 * Progressive enhancement of `table[data-sortable]`: each column header becomes a button; a first tap
 * sorts ascending, a second descending, announced through `aria-sort`. Numbers (« 3 / 4 » sorts by 3,
 * French decimal commas included) sort as numbers, text in French order (accents aside). The chosen
 * order survives the table's refresh every 10 s (htmx swaps it for a new one, sorted again here).
 */
(function () {
  "use strict";
  var chosen = {}; // table id → { col, dir }

  function valueOf(row, col) {
    var cell = row.cells[col];
    var text = cell ? cell.textContent.trim() : "";
    var number = /^-?\d+(?:[.,]\d+)?/.exec(text.replace(/\s/g, ""));
    return number ? parseFloat(number[0].replace(",", ".")) : text;
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    if (typeof a === "number") { return -1; }
    if (typeof b === "number") { return 1; }
    return a.localeCompare(b, "fr", { sensitivity: "base", numeric: true });
  }

  function sort(table, col, dir) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.cells.length > 1; });
    var sign = dir === "descending" ? -1 : 1;
    rows.map(function (row, i) { return { row: row, i: i, v: valueOf(row, col) }; })
      .sort(function (x, y) { return sign * compare(x.v, y.v) || x.i - y.i; })
      .forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === col) { th.setAttribute("aria-sort", dir); } else { th.removeAttribute("aria-sort"); }
    });
  }

  function enhance() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      if (table.getAttribute("data-enhanced") || !table.tHead) { return; }
      table.setAttribute("data-enhanced", "true");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent.trim();
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          var now = chosen[table.id];
          var dir = now && now.col === col && now.dir === "ascending" ? "descending" : "ascending";
          chosen[table.id] = { col: col, dir: dir };
          sort(table, col, dir);
        });
      });
      var kept = chosen[table.id];
      if (kept) { sort(table, kept.col, kept.dir); }
    });
  }

  enhance();
  document.addEventListener("htmx:afterSettle", enhance);
}());
