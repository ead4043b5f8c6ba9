"""The warning-sign screen and the medical boundary. Runs inside the Rasa server, on every visitor
message, whatever the action server or the clinic profile are doing:

- `screen.py`: text -> verdict (warning level and signs; medication, diagnosis, push-back and the
  conditions a suitability question names), spaCy Matcher patterns on lemmas plus the context rules
  (negation, other people, questions about risk, figurative language, before-treatment questions);
- `component.py`: the NLU pipeline component that puts the verdict into the parse data (`warning`,
  `medical`), so it is stored with the message and the console can read it;
- `policy.py`: the dialogue policy that answers by the verdict before any rule, form or FAQ answer.
"""
