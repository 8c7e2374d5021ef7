"""Other places people ask about by mistake: well-known cities that are not Shenyang.

"Shanghai metro card" shares every word but one with the entry on Shenyang's metro, and that one
word is the point. The matcher checks a query against this list: when it names a place the best
entry never mentions, the bot offers its entries instead of answering as if about Shenyang.

Names are written as users type them in zh, ja and en. A query is read in its normalized form
(:func:`bot.text.normalize`: Traditional, Japanese and Simplified forms meet); an entry's own
text as written, after NFKC and case folding.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.terms import TermFinder

# Cities in China and its neighbours that travellers and investors also ask about.
OTHER_PLACES: tuple[tuple[str, ...], ...] = (
    ("beijing", "北京", "peking"),
    ("shanghai", "上海"),
    ("guangzhou", "广州", "広州", "canton"),
    ("shenzhen", "深圳"),
    ("tianjin", "天津"),
    ("chongqing", "重庆", "重慶"),
    ("chengdu", "成都"),
    ("hangzhou", "杭州"),
    ("nanjing", "南京"),
    ("suzhou", "苏州", "蘇州"),
    ("wuhan", "武汉", "武漢"),
    ("xi'an", "xian", "西安"),
    ("harbin", "哈尔滨", "哈爾浜", "ハルビン", "ハルピン"),
    ("changchun", "长春", "長春"),
    ("dalian", "大连", "大連"),
    ("qingdao", "青岛", "青島"),
    ("jilin", "吉林"),
    ("hong kong", "香港"),
    ("macau", "macao", "澳门", "マカオ"),
    ("taipei", "台北"),
    ("tokyo", "东京", "東京", "東京都"),
    ("osaka", "大阪"),
    ("kyoto", "京都"),
    ("yokohama", "横滨", "横浜"),
    ("nagoya", "名古屋"),
    ("fukuoka", "福冈", "福岡"),
    ("sapporo", "札幌"),
    ("kawasaki", "川崎"),
    ("seoul", "首尔", "ソウル"),
    ("busan", "釜山"),
)


class PlaceFinder(TermFinder):
    """Finds the places of a list named in a text."""

    def __init__(self, places: Iterable[tuple[str, ...]] = OTHER_PLACES) -> None:
        super().__init__(places)

    def places_in(self, text: str) -> frozenset[int]:
        """The numbers of the places ``text`` names."""
        return self.found_in(text)
