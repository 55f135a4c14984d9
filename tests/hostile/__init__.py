"""Hostile input (issue 19): every parser and every form, given anything, answers cleanly.

Which test holds which parser:

* dates of any precision (``incidents.forms.parse_when``, ``lib.forms.parse_day``,
  ``lib.forms.DayField``): ``test_parsers`` — a When or a ValidationError for any text; every
  past day, month and year reads back as itself (YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, MM/YYYY, YYYY);
* search (``crypto.text.words``, ``search.queries.excerpt``): ``test_parsers`` — any text has
  words; the excerpt escapes everything but its ``<mark>`` and shows a piece of the text;
  the search form itself with any query: ``test_forms``;
* the desk recovery phrase (``crypto.recovery``) and the intake receipt (``crypto.intake``):
  ``test_parsers`` — a key or a RecoveryPhraseError / ReceiptError; both read back as copied
  by hand (lower case, dashes, look-alikes);
* YAML a desk uploads (``training.forms.QuestionnaireForm``, ``training.questionnaires``) and
  the wheel definitions (``wheel.definitions.load``): ``test_parsers`` — a value or the
  loader's own refusal, for broken, nested, self-referencing and impossible-date YAML;
* CSV and XLSX imports (``imports.sheets``, ``imports.validate``): ``tests/imports/test_fuzz``;
* country, region and place (``lib.places.check_place``), the public intake form, the
  follow-up with a receipt, every other form's ``clean`` methods: ``test_forms`` — every form
  route of ``tests/test_form_errors.FORMS`` posted hostile values through its real view.

``harness`` holds what hostile input is and what a clean answer is, for the API's bodies too.
The shipped vocabulary files are checked as they are by ``tests/test_vocabularies.py``; they
are not input. ``make security`` (sqlmap, wapiti) is the same idea over HTTP.
"""
