"""Staff security: two factors on every staff URL, roles, sessions, audit, PII.

For later features:

- Staff pages, APIs, exports and attachment downloads go under a prefix listed in
  settings.STAFF_URL_PREFIXES (/admin/, /api/v1/staff/, /staff/). The middleware
  `StaffAccessMiddleware` then requires a password and a verified code, answers the
  staff API with JSON 401/403, and marks every staff response `no-store`.
  tests/test_staff_urls.py walks every URL pattern to keep this true.
- `audit.record(request, "petition.closed", obj=petition, success=True, **detail)`
  appends one hash-chained entry; call it for state changes, full-record views and
  exports. `python manage.py audit_verify` checks the chain.
- Personal data: `crypto.EncryptedTextField` for ID and phone numbers, with a
  `crypto.keyed_hash(personal_data.normalise_id_number(value))` column for exact
  lookup; `personal_data.mask_id_number` / `mask_phone` (or the template filters
  `{% load personal_data %}{{ value|mask_id_number }}`) for lists;
  `personal_data.validate_national_id` on every form field that takes an ID number.
- Tests: the `otp_client` fixture (a verified superuser) and
  `staff_client_for(user)` (any user, verified) in tests/conftest.py.
"""
