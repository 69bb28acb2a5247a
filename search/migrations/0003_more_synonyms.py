"""Synonyms added after 0002_seed_synonyms was first deployed, and more everyday words.

0002 ran once on every existing database, so what was later added to its list (commit 8ad84f6)
never reached those databases. This migration brings it, and never undoes an editor's work:

- a term is created only when no entry has the same folded term (an editor may have added it,
  with their own phrases, or switched it off);
- an entry whose official phrases were improved is updated only while it still holds exactly
  what 0002 first wrote.

Future seed entries go to a new migration like this one, never into an applied one.
"""

from django.db import migrations

#: Added to 0002's list after it was deployed (8ad84f6), with the reasons given there.
ADDED_LATER = [
    # Splitting a plot ("tách sổ đỏ") is "tách thửa" in the official names.
    ("tách sổ", ["tách thửa"]),
    ("tách sổ đỏ", ["tách thửa"]),
    ("cty", ["công ty"]),
    ("TNHH", ["trách nhiệm hữu hạn"]),
    ("GPKD", ["giấy phép kinh doanh"]),
    ("THPT", ["trung học phổ thông"]),
    ("THCS", ["trung học cơ sở"]),
    # School levels as everyone says them ("chuyển trường cấp 3"); digits, so the building
    # classes "cấp I, cấp II, cấp III" of construction procedures are not touched.
    ("cấp 1", ["tiểu học"]),
    ("cấp 2", ["trung học cơ sở"]),
    ("cấp 3", ["trung học phổ thông"]),
    # A petrol station is, officially, a "cửa hàng bán lẻ xăng dầu".
    ("cây xăng", ["cửa hàng đủ điều kiện bán lẻ xăng dầu", "bán lẻ xăng dầu"]),
    ("cửa hàng xăng", ["cửa hàng đủ điều kiện bán lẻ xăng dầu", "bán lẻ xăng dầu"]),
    # Both i and y spellings are in everyday use after these consonants (kí/ký, sỹ/sĩ, lí/lý);
    # the catalogue writes the y (or the i) form only.
    ("đăng kí", ["đăng ký"]),
    ("chữ kí", ["chữ ký"]),
    ("lí lịch", ["lý lịch"]),
    ("liệt sỹ", ["liệt sĩ"]),
    ("kĩ thuật", ["kỹ thuật"]),
]

#: (term, phrases as 0002 first wrote them, better phrases) changed in 0002's list after it was
#: deployed (8ad84f6).
REVISED = [
    # A family house is "nhà ở riêng lẻ" in the building-permit procedures.
    ("xin phép xây nhà", ["giấy phép xây dựng"], ["giấy phép xây dựng", "nhà ở riêng lẻ"]),
    ("xây nhà", ["giấy phép xây dựng"], ["giấy phép xây dựng", "nhà ở riêng lẻ"]),
    # Opening a shop is registering a new household business: the procedure is named
    # "Đăng ký thành lập hộ kinh doanh" ("đăng ký hộ kinh doanh" alone names its later changes).
    ("mở quán", ["đăng ký hộ kinh doanh"], ["đăng ký thành lập hộ kinh doanh", "đăng ký hộ kinh doanh"]),
    ("kinh doanh cá thể", ["đăng ký hộ kinh doanh"], ["đăng ký thành lập hộ kinh doanh", "đăng ký hộ kinh doanh"]),
    # Selling land is "chuyển nhượng"; the names list it among other transfers
    # ("chuyển đổi…, chuyển nhượng, thừa kế, tặng cho quyền sử dụng đất"), so the word alone too.
    (
        "sang tên sổ đỏ",
        ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất"],
        ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất", "chuyển nhượng"],
    ),
    (
        "sang tên đất",
        ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất"],
        ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất", "chuyển nhượng"],
    ),
    (
        "mua bán đất",
        ["chuyển nhượng quyền sử dụng đất", "đăng ký biến động"],
        ["chuyển nhượng quyền sử dụng đất", "đăng ký biến động", "chuyển nhượng"],
    ),
    # Names spell both "hằng tháng" and "hàng tháng".
    ("trợ cấp người già", ["trợ cấp xã hội hằng tháng"], ["trợ cấp xã hội hằng tháng", "trợ cấp xã hội hàng tháng"]),
    (
        "trợ cấp xã hội",
        ["trợ cấp xã hội hằng tháng", "trợ giúp xã hội"],
        ["trợ cấp xã hội hằng tháng", "trợ cấp xã hội hàng tháng", "trợ giúp xã hội"],
    ),
]

#: Everyday words and abbreviations not in 0002, each with the official words it stands for.
NEW = [
    # "Bìa đỏ" is the northern word for the red-cover land certificate ("sổ đỏ"); GCNQSDĐ is its
    # abbreviation written as one word on forms and notices.
    ("bìa đỏ", ["giấy chứng nhận quyền sử dụng đất", "đăng ký đất đai"]),
    ("GCNQSDĐ", ["giấy chứng nhận quyền sử dụng đất"]),
    # "Đất thổ cư" is residential land, "đất ở" in the law; "lên thổ cư" is converting land to it.
    ("thổ cư", ["đất ở"]),
    ("đất thổ cư", ["đất ở"]),
    ("lên thổ cư", ["chuyển mục đích sử dụng đất"]),
    # The household book ("sổ hộ khẩu") and the temporary-residence book ("KT3") were abolished
    # in 2023 (Law on Residence 2020) but are still what people call residence registration.
    ("sổ hộ khẩu", ["đăng ký thường trú", "cư trú"]),
    ("KT3", ["đăng ký tạm trú", "tạm trú"]),
    # The identity card is still called "chứng minh thư" (CMT), as CMND and CCCD already are.
    ("chứng minh thư", ["chứng minh nhân dân", "căn cước"]),
    ("CMT", ["chứng minh nhân dân", "căn cước"]),
    # What people ask for when they need a certified copy.
    ("sao y bản chính", ["chứng thực bản sao từ bản chính"]),
    # Correcting a birth certificate is a change/correction of civil status information.
    ("sửa giấy khai sinh", ["thay đổi, cải chính, bổ sung thông tin hộ tịch", "cải chính hộ tịch"]),
    ("mai táng phí", ["hỗ trợ chi phí mai táng", "chi phí mai táng"]),
    # The official words for vehicles: "xe mô tô, xe gắn máy" (motorbike), "xe ô tô" (car).
    ("xe máy", ["xe mô tô", "mô tô, xe gắn máy"]),
    ("xe hơi", ["xe ô tô"]),
    # Tourism, a large part of a highland province's catalogue: hotels and homestays are "cơ sở
    # lưu trú du lịch"; HDV is a tour guide.
    ("khách sạn", ["cơ sở lưu trú du lịch"]),
    ("homestay", ["cơ sở lưu trú du lịch"]),
    ("HDV", ["hướng dẫn viên du lịch"]),
    # Abbreviations of business, labour, environment and insurance papers.
    ("HKD", ["hộ kinh doanh"]),
    ("DN", ["doanh nghiệp"]),
    ("GPLĐ", ["giấy phép lao động"]),
    ("ĐTM", ["đánh giá tác động môi trường"]),
    ("GPMT", ["giấy phép môi trường"]),
    ("BHTN", ["bảo hiểm thất nghiệp"]),
]


def seed(apps, schema_editor):
    from django.core.cache import cache

    from services.text import fold, normalize_text

    SearchSynonym = apps.get_model("portal_search", "SearchSynonym")

    def key(term: str) -> str:  # as SearchSynonym.save() computes term_key
        return " ".join(fold(normalize_text(term)).split())

    for term, phrases in ADDED_LATER + NEW:
        SearchSynonym.objects.get_or_create(
            term_key=key(term), defaults={"term": normalize_text(term), "expansions": "\n".join(phrases)}
        )
    for term, first, better in REVISED:
        SearchSynonym.objects.filter(term_key=key(term), expansions="\n".join(first)).update(
            expansions="\n".join(better)
        )
    # Queries read the synonyms through a cache (search.queries.SYNONYM_CACHE_KEY) that saving a
    # synonym clears; these writes bypass save(), so clear it here.
    cache.delete("search:synonyms:v1")


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0002_seed_synonyms")]
    # Reversing keeps the entries: editors may have changed them since.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
