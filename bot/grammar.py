"""English function words: the closed class of words that carry a sentence's grammar, not its
topic ("is", "it", "the", "on", "do"). One table, for the matcher (they weigh little, as hiragana
does in Japanese) and for reading follow-ups ("is it open on Mondays?" names no topic of its own).

A small knowledge base has seen some of them only once: "it" in "hunnan technology city, what is
it" made "is it open?" score 89 for that entry and be answered with it.
"""

from __future__ import annotations

ENGLISH_FUNCTION_WORDS = frozenset(
    (
        *("a", "an", "the", "this", "that", "these", "those", "some", "any", "each", "every"),
        *("i", "me", "my", "mine", "we", "us", "our", "you", "your", "he", "him", "his", "she"),
        *("her", "it", "its", "they", "them", "their", "there", "here", "one", "ones"),
        *("is", "am", "are", "was", "were", "be", "been", "being", "do", "does", "did", "done"),
        *("have", "has", "had", "can", "could", "will", "would", "shall", "should", "may"),
        *("might", "must", "s", "m", "re", "ve", "ll", "d", "t", "don", "isn", "aren", "didn"),
        *("of", "in", "on", "at", "to", "for", "from", "by", "with", "about", "into", "onto"),
        *("and", "or", "but", "so", "if", "then", "than", "as", "also", "too", "just", "very"),
        *("what", "which", "who", "whom", "whose", "how", "why", "not", "no", "yes", "ok"),
        *("okay", "please", "pls", "really", "actually", "maybe", "kind", "sort", "anything"),
        *("something", "know", "tell", "let", "like", "want", "need", "wondering"),
    )
)
