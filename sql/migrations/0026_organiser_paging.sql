-- Organiser lists read one page at a time at the scale of the largest contest (issue 18).
--
-- french_sort_key: the order and the search of names as a French reader expects them, in SQL, so that
-- a page can be cut by the database (LIMIT/OFFSET) in the order jury.french.collation.sort_key gives:
-- accents and case set aside, œ/æ/ß spelt out. No ICU or extension needed (translate is immutable).
create function french_sort_key(text) returns text
language sql immutable strict parallel safe
return lower(translate(
    replace(replace(replace(replace(replace($1, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), 'ß', 'ss'),
    'àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ',
    'aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUYY'));

-- The candidates list's order (entry number, then names): one page is an index range, not a sort of
-- the whole edition.
create index candidates_edition_listing
    on candidates (edition_id, entry_number, organisation_name, person_name, id);

-- The folded text the candidates list searches (names, e-mail, typed commune) and the folded name the
-- jurors list sorts by, computed once when a row is written: folding 22,000 rows per search took 0.6 s.
alter table candidates
    add column search_key text not null generated always as (
        french_sort_key(person_name || ' ' || organisation_name || ' ' || email || ' ' || commune_label)
    ) stored;

alter table people
    add column sort_key text not null generated always as (french_sort_key(full_name)) stored;
