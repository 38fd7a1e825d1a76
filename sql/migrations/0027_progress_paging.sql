-- The follow-up page of a round and the confirmation of its move read one page of jurors and of
-- candidates at a time, and their totals by aggregates (issue 18): each row's counts are looked up by
-- juror or by candidate, and declared conflicts (few) apart from the declarations of "no conflict" (one per
-- pair: 90,000 at the largest contest).
create index assignments_person on assignments (person_id);
create index conflict_declarations_conflicts
    on conflict_declarations (round_id, candidate_id, person_id) where has_conflict;
create index candidate_rounds_round on candidate_rounds (round_id, status);
