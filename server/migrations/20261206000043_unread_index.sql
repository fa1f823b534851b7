-- The unread count is read with the viewer on every signed-in page: an index of the unread
-- messages alone answers it without visiting the rows already read.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
