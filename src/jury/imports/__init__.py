"""Importing candidates and jurors from CSV or XLSX files, all or nothing.

Files: CSV (UTF-8 with or without BOM, or Windows-1252; delimiter `;`, `,` or tab) or XLSX (first sheet).
Header on the first non-empty line; header names match whatever their case, accents, spaces or hyphens
("Code INSEE" = `code_insee`). Errors name the line in the file (header = line 1) and the column.

Candidates (`candidats`):

| column | content | required for |
|---|---|---|
| nom_structure | company, association or shop name | company, organisation; artisan (or nom_porteur) |
| nom_porteur | founder's or artisan's name | artisan (or nom_structure) |
| courriel | e-mail | all |
| code_insee | INSEE commune code (92050 Nanterre), never the postal code | all |
| forme_juridique | legal form, among the edition's `eligible_legal_forms` when it lists some | organisation |
| date_creation | JJ/MM/AAAA or AAAA-MM-JJ | — |
| montant_demande | integer euros ("15 000", "15000 €"), at most the edition's max_grant_eur | organisation |
| numero | entry number for blind rounds, unique in the edition | artisan |
| creation | the creation's name (the cake) | — |
| categorie | code or name of a category of the edition | — |
| projet | project title | — |

Jurors (`jures`): nom and courriel required; qualite (title), jury (panel name, or "round / panel" when
the name exists in several rounds), role (juré | président), professionnel (oui | non). People are matched
by e-mail whatever its case: a re-import updates them instead of duplicating them.

Modules: `models` (vocabulary and value types), `parse` and `validate` (pure), `service` (writes in one
savepoint with the audit event), `web` (`ImportsApi` JSON API, `ImportPages` organiser page).
"""
