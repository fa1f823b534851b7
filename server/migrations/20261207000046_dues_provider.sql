-- Online dues payments through a payment provider: the provider's reference for a payment,
-- recorded once (a provider's repeated notification of the same payment changes nothing).
ALTER TABLE dues_payments ADD COLUMN provider_ref TEXT UNIQUE;

-- As before, and a pending payment may be given its provider reference, once.
CREATE OR REPLACE FUNCTION dues_payment_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'dues payments are kept';
    END IF;
    IF TG_OP = 'UPDATE' AND (
        (NEW.id, NEW.user_id, NEW.tree, NEW.org_id, NEW.first_month, NEW.months, NEW.amount,
         NEW.method, NEW.recorded_by, NEW.recorded_at)
        IS DISTINCT FROM
        (OLD.id, OLD.user_id, OLD.tree, OLD.org_id, OLD.first_month, OLD.months, OLD.amount,
         OLD.method, OLD.recorded_by, OLD.recorded_at)
        OR (OLD.provider_ref IS NOT NULL AND NEW.provider_ref IS DISTINCT FROM OLD.provider_ref)
        OR NOT ((OLD.state = 'pending' AND NEW.state IN ('paid', 'declined'))
                OR (OLD.state = 'paid' AND NEW.state = 'reversed')
                OR (OLD.state = 'pending' AND NEW.state = 'pending'
                    AND OLD.provider_ref IS NULL AND NEW.provider_ref IS NOT NULL
                    AND (NEW.settled_by, NEW.settled_at, NEW.reason, NEW.receipt_no)
                        IS NOT DISTINCT FROM (OLD.settled_by, OLD.settled_at, OLD.reason, OLD.receipt_no)))) THEN
        RAISE EXCEPTION 'a dues payment only moves from pending to paid or declined, or from paid to reversed';
    END IF;
    IF NEW.state = 'paid' AND NEW.receipt_no IS NULL THEN
        NEW.receipt_no := CASE NEW.tree WHEN 'party' THEN 'DF' ELSE 'TF' END
                          || to_char(COALESCE(NEW.settled_at, now()) AT TIME ZONE 'Asia/Shanghai', 'YYYY')
                          || '-' || lpad(NEW.id::text, 6, '0');
    END IF;
    RETURN NEW;
END
$$;
