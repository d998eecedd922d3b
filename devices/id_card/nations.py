"""GB/T 3304 nation codes and GB/T 2261.1 sex codes, as printed on the card.

Public tables carry typos (德昴 for 德昂, 达翰尔 for 达斡尔); this one is the canonical spelling and
is pinned by tests. ``NATIONS`` maps the two-digit code to the name as printed on the card (without
族); ``nation_full_name`` adds 族 where the standard does.
"""

from __future__ import annotations

from types import MappingProxyType

_NATION_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()

NATIONS: MappingProxyType[str, str] = MappingProxyType(
    {f"{i:02d}": name for i, name in enumerate(_NATION_NAMES, start=1)}
    | {"97": "其他", "98": "外国血统中国籍人士"}
)

SEXES: MappingProxyType[str, str] = MappingProxyType({"0": "未知", "1": "男", "2": "女", "9": "未说明"})


def nation_name(code: str) -> str:
    """Name as printed on the card (e.g. "01" -> "汉"); KeyError for an unknown code."""
    return NATIONS[code]


def nation_full_name(code: str) -> str:
    """Standard name (e.g. "01" -> "汉族"; 97 and 98 have no 族)."""
    name = NATIONS[code]
    return name if code in ("97", "98") else name + "族"


def nation_code(name: str) -> str:
    """Inverse lookup; accepts the card form ("汉") and the full form ("汉族")."""
    for code, value in NATIONS.items():
        if name in (value, nation_full_name(code)):
            return code
    raise KeyError(name)


def sex_text(code: str) -> str:
    return SEXES[code]


def sex_code(text: str) -> str:
    for code, value in SEXES.items():
        if text == value:
            return code
    raise KeyError(text)
