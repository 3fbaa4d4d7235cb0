from factories import phone
from journeys import latest_codes, request_state, send_first_sms, submit_filing


def test_a_new_filing_walks_from_entry_to_bureau_review(app, clock):
    request_id = submit_filing(app, subject_phone=phone(1), website_phones=[phone(2)])
    assert request_state(app, request_id) == "verifying"
    send_first_sms(app, clock)
    codes = latest_codes(app)
    assert set(codes) == {phone(1), phone(2)}
