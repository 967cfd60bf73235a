#!/usr/bin/env python3
"""Writes the labelled prompt pairs the semantic tier of the inference cache is measured on.

Each line of the output is `label<TAB>kind<TAB>prompt a<TAB>prompt b`: label 1 when one answer serves both prompts
(a paraphrase: the same question in other words), 0 when it does not (a near miss: the same wording with an entity,
a number, a negation, a piece of code or a decisive word changed; or an unrelated question). The pairs come from
hand-written question templates, each with three or four phrasings, filled from hand-written slot lists; a seeded
random generator picks the combinations, so the file is the same at every run. Nothing is downloaded.

Run: python3 scripts/cache-pairs.py > coordinator/src/test/resources/io/archipelago/coordinator/cache/semantic-pairs.tsv
"""
import random
import sys

COUNTRIES = ["France", "Germany", "Italy", "Spain", "Portugal", "Poland", "Sweden", "Norway", "Japan", "Canada",
             "Brazil", "Kenya", "Egypt", "India", "Australia", "Mexico", "Chile", "Greece", "Austria", "Ireland"]
CITIES = ["Paris", "Berlin", "Rome", "Madrid", "Lisbon", "Warsaw", "Stockholm", "Oslo", "Tokyo", "Toronto",
          "Nairobi", "Cairo", "Mumbai", "Sydney", "Vienna", "Dublin", "Zurich", "Amsterdam", "Prague", "Athens"]
COMPANIES = ["Microsoft", "Apple", "Google", "Amazon", "Tesla", "Nvidia", "Samsung", "Toyota", "Siemens", "Nokia",
             "Spotify", "Netflix", "Intel", "Oracle", "Adobe", "Airbus", "Boeing", "Ikea", "Lego", "Philips"]
LANGUAGES = ["French", "German", "Spanish", "Italian", "Japanese", "Portuguese", "Dutch", "Swedish", "Polish",
             "Greek"]
PHRASES = ["good morning", "thank you very much", "where is the station", "I am hungry", "see you tomorrow",
           "how much does it cost", "the weather is nice", "I love reading"]
FOODS = ["coffee", "chocolate", "red meat", "milk", "rice", "eggs", "sugar", "cheese", "bread", "green tea"]
EVENTS = ["birthday party", "team offsite", "wedding", "picnic", "hackathon", "book club meeting"]
TOPICS = ["the sea", "autumn", "a lost key", "the moon", "coffee", "a quiet city", "mountains", "old friends"]
UNITS = [("miles", "kilometers"), ("pounds", "kilograms"), ("inches", "centimeters"), ("liters", "gallons"),
         ("feet", "meters"), ("ounces", "grams")]
CODE = [("x = a + b", "x = a - b"), ("len(items) > 0", "len(items) >= 0"), ("sorted(xs)[0]", "sorted(xs)[-1]"),
        ("s.strip()", "s.split()"), ("range(10)", "range(1, 10)"), ("d.get(k, 0)", "d.get(k)"),
        ("a and b", "a or b"), ("x // 2", "x / 2"), ("xs.pop()", "xs.pop(0)"), ("n % 2 == 0", "n % 2 == 1")]

TEMPLATES = {
    "capital": ["What is the capital of {c}?", "Tell me the capital of {c}.", "Which city is the capital of {c}?",
                "what's the capital city of {c}"],
    "population": ["What is the population of {city}?", "How many people live in {city}?",
                   "Roughly how many inhabitants does {city} have?"],
    "founder": ["Who founded {co}?", "Who was the founder of {co}?", "Tell me who started the company {co}.",
                "Who is the founder of {co}?"],
    "translate": ["Translate '{p}' into {lang}.", "How do you say '{p}' in {lang}?", "What is '{p}' in {lang}?",
                  "Please translate '{p}' to {lang}."],
    "multiply": ["What is {a} times {b}?", "Calculate {a} multiplied by {b}.", "Multiply {a} by {b}.",
                 "What do you get when you multiply {a} by {b}?"],
    "ideas": ["Give me {n} ideas for a {e}.", "List {n} ideas for a {e}.", "Suggest {n} ideas for a {e}.",
              "Can you come up with {n} ideas for a {e}?"],
    "healthy": ["Is {f} good for you?", "Is eating {f} good for your health?", "Is {f} good for your health?"],
    "code": ["What does `{code}` do in Python?", "Explain what `{code}` does in Python.",
             "In Python, what does `{code}` do?"],
    "convert": ["Convert {n} {u1} to {u2}.", "How many {u2} are {n} {u1}?", "What is {n} {u1} in {u2}?"],
    "haiku": ["Write a haiku about {t}.", "Compose a haiku about {t}.", "Please write me a haiku about {t}."],
}
NUMBER_WORDS = ["three", "five", "seven", "ten"]


def fill(kind, phrasing, slots):
    return TEMPLATES[kind][phrasing].format(**slots)


def slots_for(kind, rng):
    if kind == "capital":
        return {"c": rng.choice(COUNTRIES)}
    if kind == "population":
        return {"city": rng.choice(CITIES)}
    if kind == "founder":
        return {"co": rng.choice(COMPANIES)}
    if kind == "translate":
        return {"p": rng.choice(PHRASES), "lang": rng.choice(LANGUAGES)}
    if kind == "multiply":
        return {"a": rng.randint(11, 99), "b": rng.randint(11, 99)}
    if kind == "ideas":
        return {"n": rng.choice([3, 5, 7, 10] + NUMBER_WORDS), "e": rng.choice(EVENTS)}
    if kind == "healthy":
        return {"f": rng.choice(FOODS)}
    if kind == "code":
        return {"code": rng.choice(CODE)[rng.randint(0, 1)]}
    if kind == "convert":
        u1, u2 = rng.choice(UNITS)
        return {"n": rng.randint(2, 500), "u1": u1, "u2": u2}
    return {"t": rng.choice(TOPICS)}


def changed(kind, slots, rng):
    """The same slots with the one that decides the answer changed, and what kind of change it was."""
    other = dict(slots)
    if kind == "capital":
        other["c"] = rng.choice([c for c in COUNTRIES if c != slots["c"]])
        return other, "entity"
    if kind == "population":
        other["city"] = rng.choice([c for c in CITIES if c != slots["city"]])
        return other, "entity"
    if kind == "founder":
        other["co"] = rng.choice([c for c in COMPANIES if c != slots["co"]])
        return other, "entity"
    if kind == "translate":
        if rng.random() < 0.5:
            other["lang"] = rng.choice([lang for lang in LANGUAGES if lang != slots["lang"]])
            return other, "entity"
        other["p"] = rng.choice([p for p in PHRASES if p != slots["p"]])
        return other, "word"
    if kind == "multiply":
        other["b"] = slots["b"] + rng.choice([-2, -1, 1, 2, 10])
        return other, "number"
    if kind == "ideas":
        other["n"] = rng.choice([n for n in [3, 5, 7, 10] + NUMBER_WORDS if n != slots["n"]])
        return other, "number"
    if kind == "convert":
        other["n"] = slots["n"] + rng.choice([-1, 1, 5, 100])
        return other, "number"
    if kind == "code":
        pair = next(p for p in CODE if slots["code"] in p)
        other["code"] = pair[1] if slots["code"] == pair[0] else pair[0]
        return other, "code"
    if kind == "healthy":
        other["f"] = rng.choice([f for f in FOODS if f != slots["f"]])
        return other, "word"
    other["t"] = rng.choice([t for t in TOPICS if t != slots["t"]])
    return other, "word"


NEGATED = {
    "healthy": ["Is {f} not good for you?", "Why is {f} not good for your health?", "Is {f} never good for you?"],
    "capital": ["Which city is not the capital of {c}?", "Name a city that isn't the capital of {c}."],
    "founder": ["Who did not found {co}?", "Who never worked at {co}?"],
    "ideas": ["Give me {n} ideas that are not for a {e}.", "List {n} things not to do at a {e}."],
    "translate": ["Translate 'I do not understand' into {lang}.", "How do you say 'not {p}' in {lang}?"],
}
WORD_SWAPS = [
    ("How do I soft-boil an egg?", "How do I hard-boil an egg?"),
    ("Write a haiku about the sea.", "Write a limerick about the sea."),
    ("Summarize this in one sentence.", "Expand this into one page."),
    ("What is the fastest land animal?", "What is the slowest land animal?"),
    ("Which planet is the largest?", "Which planet is the smallest?"),
    ("Is coffee good for you?", "Is coffee bad for you?"),
    ("What is the tallest mountain in Europe?", "What is the tallest mountain in Africa?"),
    ("Recommend a book for beginners.", "Recommend a book for experts."),
    ("How do I increase my credit score?", "How do I check my credit score?"),
    ("What are the benefits of running?", "What are the risks of running?"),
]


def main():
    rng = random.Random(14)
    pairs = []
    seen = set()

    def add(label, kind, a, b):
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            pairs.append((label, kind, a, b))

    kinds = list(TEMPLATES)
    while sum(1 for p in pairs if p[0] == 1) < 520:
        kind = rng.choice(kinds)
        slots = slots_for(kind, rng)
        i, j = rng.sample(range(len(TEMPLATES[kind])), 2)
        add(1, "paraphrase", fill(kind, i, slots), fill(kind, j, slots))
    while sum(1 for p in pairs if p[0] == 0 and p[1] != "unrelated" and p[1] != "negation") < 420:
        kind = rng.choice(kinds)
        slots = slots_for(kind, rng)
        other, how = changed(kind, slots, rng)
        phrasings = len(TEMPLATES[kind])
        i = rng.randrange(phrasings)
        j = i if rng.random() < 0.6 else rng.randrange(phrasings)
        add(0, how, fill(kind, i, slots), fill(kind, j, other))
    while sum(1 for p in pairs if p[1] == "negation") < 80:
        kind = rng.choice(list(NEGATED))
        slots = slots_for(kind, rng)
        negated = rng.choice(NEGATED[kind]).format(**slots)
        add(0, "negation", fill(kind, rng.randrange(len(TEMPLATES[kind])), slots), negated)
    for a, b in WORD_SWAPS:
        add(0, "word", a, b)
        add(0, "word", b, a)
    while sum(1 for p in pairs if p[1] == "unrelated") < 100:
        first, second = rng.sample(kinds, 2)
        add(0, "unrelated", fill(first, 0, slots_for(first, rng)), fill(second, 0, slots_for(second, rng)))
    out = sys.stdout
    out.write("# label\tkind\tprompt a\tprompt b -- made by scripts/cache-pairs.py (seed 14); see docs/cache.md\n")
    for label, kind, a, b in pairs:
        out.write(f"{label}\t{kind}\t{a}\t{b}\n")


if __name__ == "__main__":
    main()
