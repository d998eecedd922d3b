"""GB/T 3304 nation codes and GB/T 2261.1 sex codes, as printed on the card.

Public tables carry typos (德昴 for 德昂, 达翰尔 for 达斡尔); this one is the canonical spelling and
is pinned by tests. ``NATIONS`` maps the two-digit code to the name as printed on the card (without
族); ``nation_full_name`` adds 族 where the standard does.
"""

from __future__ import annotations

from types import MappingProxyType

NATIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "01": "汉",
        "02": "蒙古",
        "03": "回",
        "04": "藏",
        "05": "维吾尔",
        "06": "苗",
        "07": "彝",
        "08": "壮",
        "09": "布依",
        "10": "朝鲜",
        "11": "满",
        "12": "侗",
        "13": "瑶",
        "14": "白",
        "15": "土家",
        "16": "哈尼",
        "17": "哈萨克",
        "18": "傣",
        "19": "黎",
        "20": "傈僳",
        "21": "佤",
        "22": "畲",
        "23": "高山",
        "24": "拉祜",
        "25": "水",
        "26": "东乡",
        "27": "纳西",
        "28": "景颇",
        "29": "柯尔克孜",
        "30": "土",
        "31": "达斡尔",
        "32": "仫佬",
        "33": "羌",
        "34": "布朗",
        "35": "撒拉",
        "36": "毛南",
        "37": "仡佬",
        "38": "锡伯",
        "39": "阿昌",
        "40": "普米",
        "41": "塔吉克",
        "42": "怒",
        "43": "乌孜别克",
        "44": "俄罗斯",
        "45": "鄂温克",
        "46": "德昂",
        "47": "保安",
        "48": "裕固",
        "49": "京",
        "50": "塔塔尔",
        "51": "独龙",
        "52": "鄂伦春",
        "53": "赫哲",
        "54": "门巴",
        "55": "珞巴",
        "56": "基诺",
        "97": "其他",
        "98": "外国血统中国籍人士",
    }
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
