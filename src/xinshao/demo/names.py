"""Chinese names for the demo city: people, places and schools.

Surnames carry weights close to their share of the population (per ten thousand people), so
a class of 45 looks like a real one: several 王, 李 and 张, the odd 欧阳. Children's given
names follow what parents chose for children born 2008–2020; adults' names are those
common for people born 1965–1995. A few characters (子, 一, 梓, 思, 嘉) are given to boys
and girls alike; the rest lean one way, as they do in life.
"""
import itertools
import random

SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 712), ("李", 700), ("张", 674), ("刘", 538), ("陈", 453), ("杨", 308), ("黄", 230),
    ("赵", 229), ("吴", 205), ("周", 190), ("徐", 145), ("孙", 138), ("马", 129), ("朱", 128),
    ("胡", 116), ("郭", 114), ("何", 106), ("林", 101), ("罗", 93), ("高", 92), ("郑", 78),
    ("梁", 75), ("谢", 72), ("宋", 65), ("唐", 63), ("许", 63), ("韩", 61), ("邓", 59),
    ("冯", 59), ("曹", 55), ("彭", 53), ("曾", 51), ("肖", 50), ("田", 49), ("董", 48),
    ("潘", 46), ("袁", 46), ("蔡", 44), ("蒋", 44), ("余", 42), ("于", 41), ("杜", 40),
    ("叶", 39), ("程", 38), ("魏", 37), ("苏", 36), ("吕", 35), ("丁", 34), ("任", 33),
    ("卢", 32), ("姚", 32), ("沈", 31), ("钟", 30), ("姜", 30), ("崔", 29), ("谭", 29),
    ("陆", 28), ("范", 27), ("汪", 27), ("廖", 26), ("石", 26), ("金", 25), ("韦", 25),
    ("贾", 24), ("夏", 23), ("付", 23), ("方", 23), ("邹", 22), ("熊", 22), ("白", 22),
    ("孟", 21), ("秦", 21), ("邱", 21), ("侯", 20), ("江", 20), ("尹", 20), ("薛", 19),
    ("闫", 19), ("段", 18), ("雷", 18), ("龙", 17), ("黎", 17), ("史", 17), ("陶", 16),
    ("贺", 16), ("毛", 16), ("郝", 15), ("顾", 15), ("龚", 15), ("邵", 14), ("万", 14),
    ("覃", 13), ("武", 13), ("钱", 13), ("戴", 12), ("严", 12), ("莫", 12), ("孔", 11),
    ("向", 11), ("常", 11), ("欧阳", 3), ("上官", 1), ("司马", 1), ("诸葛", 1),
)

# Children: a popular whole name, or a first and a second character put together, or one character.
BOY_NAMES = ("浩宇", "浩然", "子轩", "宇轩", "梓睿", "子豪", "俊熙", "宇航", "皓轩", "沐宸", "奕辰",
             "子墨", "宇泽", "俊杰", "博文", "天佑", "锦程", "明轩", "思远", "一鸣", "嘉懿", "承泽")
GIRL_NAMES = ("欣怡", "梓涵", "诗涵", "梓萱", "紫涵", "依诺", "可欣", "雨桐", "语桐", "若汐", "子涵",
              "雨萱", "欣妍", "思彤", "佳怡", "梦瑶", "语汐", "一诺", "芷若", "安琪", "书瑶", "心悦")
BOY_FIRST = "浩子宇梓俊博天嘉思明泽皓睿一沐奕家文承志晨铭锦昊逸翰煜彦景雨"
BOY_SECOND = "宇轩然睿豪杰航泽辰宸阳铭恒远博涵诚晨文熙霖川凯彬鸣翔洋毅骏楠"
GIRL_FIRST = "梓欣诗雨佳思可语紫若一子梦依雅心晓芷婉悦静安清嘉沐书艺馨晴怡"
GIRL_SECOND = "涵怡萱桐琪彤妍瑶汐悦琳雯菲然宁颖婷馨玥萌蕊淇璇希晴岚露洁诺溪"
BOY_SINGLE = "浩宇睿杰博磊晨阳涛鑫航毅凯昊哲"
GIRL_SINGLE = "悦欣琪婷雪涵妍萱瑶琳怡佳彤娜颖"

MAN_GIVEN = ("伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
             "飞", "鑫", "波", "宁", "亮", "建国", "建华", "志强", "海涛", "晓东", "国强", "文斌",
             "俊杰", "永强", "志刚", "建军", "海波", "振华", "立新", "卫东", "晓明", "宏伟", "春生")
WOMAN_GIVEN = ("芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "颖", "晶",
               "红", "丹", "萍", "琳", "倩", "晓燕", "丽娟", "秀英", "海燕", "春梅", "雪梅", "丽华",
               "美玲", "红梅", "晓丽", "玉兰", "桂英", "慧敏", "静怡", "婷婷", "文静", "晓霞", "丽萍")

# Neighbourhoods, towns and streets that schools are named after.
PLACES = ("东湖", "月湖", "天一", "鼓楼", "江东", "南门", "西门", "青林", "桃源", "柳汀", "新河",
          "望春", "云龙", "凤岙", "白鹤", "梅墟", "古林", "高桥", "横街", "石桥", "长春", "翠柏",
          "清河", "湖西", "秀水", "临江", "书院", "文昌", "广济", "永宁", "丰乐", "兴宁", "福明",
          "百丈", "明楼", "东胜", "庄桥", "洪塘", "慈城", "骆驼", "九龙", "大碶", "霞浦", "柴桥",
          "春晓", "梅山", "邱隘", "五乡", "咸祥", "塘溪", "姜山", "横溪", "云溪", "锦屏", "溪口",
          "莼湖", "松岙", "丹城", "石浦", "西周", "泗门", "马渚", "观海", "龙山", "逍林", "周巷",
          "樟村", "章水", "鄞江", "集士", "宝幢", "下应", "钟公", "潘火", "首南", "望京", "南苑",
          "花园", "育才", "阳光", "晨曦", "启明", "新城", "滨江", "金山", "银湖", "翠屏", "紫荆")
ROADS = ("中山", "解放", "人民", "建设", "文化", "学府", "和平", "长江", "黄河", "环城", "江滨",
         "湖滨", "新华", "胜利", "光明", "兴业", "振兴", "青年", "育英", "桂花")
VOCATIONS = ("财经", "交通", "建设", "旅游", "信息工程", "卫生", "艺术", "机电", "商贸", "电子",
             "外事", "技师")

_CN_DIGITS = "零一二三四五六七八九"
_SURNAME_LIST = tuple(surname for surname, _weight in SURNAMES)
_SURNAME_CUM_WEIGHTS = tuple(itertools.accumulate(weight for _surname, weight in SURNAMES))


def weighted_surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM_WEIGHTS)[0]


def child_given_name(rng: random.Random, gender: str) -> str:
    boy = gender == "M"
    draw = rng.random()
    if draw < 0.25:
        return rng.choice(BOY_NAMES if boy else GIRL_NAMES)
    if draw < 0.88:
        return rng.choice(BOY_FIRST if boy else GIRL_FIRST) + rng.choice(BOY_SECOND if boy else GIRL_SECOND)
    return rng.choice(BOY_SINGLE if boy else GIRL_SINGLE)


def adult_name(rng: random.Random, gender: str, surname: str | None = None) -> str:
    return (surname or weighted_surname(rng)) + rng.choice(MAN_GIVEN if gender == "M" else WOMAN_GIVEN)


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (up to 99), as in 明州市第十二中学."""
    tens, ones = divmod(n, 10)
    if not 0 < n < 100:
        return str(n)
    return (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[ones] if ones else "")
