-- The sending branch corrects a transfer's "dues paid up to" with a reason: an event of its
-- own with the month before and after, kept in the transfer's history.
ALTER TABLE transfer_events DROP CONSTRAINT transfer_events_action_check;
ALTER TABLE transfer_events ADD CONSTRAINT transfer_events_action_check
    CHECK (action IN ('start', 'approve', 'reject', 'return', 'resubmit', 'withdraw', 'letter',
                      'reissue', 'overdue', 'dues'));
ALTER TABLE transfer_events ADD COLUMN dues_before DATE, ADD COLUMN dues_after DATE;
