"""Everyday words and abbreviations citizens type, mapped to the official terms of procedures.

Written by the team from common usage (portal search logs are not available to us); editors
maintain the list in the admin (Từ đồng nghĩa tìm kiếm). One entry per line: the term, then
the official phrases it stands for.
"""

from django.db import migrations

SYNONYMS = [
    ("bằng lái", ["giấy phép lái xe"]),
    ("bằng lái xe", ["giấy phép lái xe"]),
    ("GPLX", ["giấy phép lái xe"]),
    ("đổi bằng lái", ["đổi giấy phép lái xe"]),
    ("CCCD", ["căn cước công dân", "căn cước"]),
    ("CMND", ["chứng minh nhân dân", "căn cước"]),
    ("GPXD", ["giấy phép xây dựng"]),
    # A family house is "nhà ở riêng lẻ" in the building-permit procedures.
    ("xin phép xây nhà", ["giấy phép xây dựng", "nhà ở riêng lẻ"]),
    ("xây nhà", ["giấy phép xây dựng", "nhà ở riêng lẻ"]),
    ("ĐKKD", ["đăng ký kinh doanh", "đăng ký doanh nghiệp", "đăng ký hộ kinh doanh"]),
    ("ĐKDN", ["đăng ký doanh nghiệp"]),
    ("giấy phép kinh doanh", ["đăng ký doanh nghiệp", "đăng ký hộ kinh doanh", "giấy phép kinh doanh"]),
    ("mở công ty", ["thành lập doanh nghiệp", "đăng ký doanh nghiệp"]),
    ("thành lập công ty", ["thành lập doanh nghiệp", "đăng ký doanh nghiệp"]),
    # Opening a shop is registering a new household business: the procedure is named
    # "Đăng ký thành lập hộ kinh doanh" ("đăng ký hộ kinh doanh" alone names its later changes).
    ("mở quán", ["đăng ký thành lập hộ kinh doanh", "đăng ký hộ kinh doanh"]),
    ("kinh doanh cá thể", ["đăng ký thành lập hộ kinh doanh", "đăng ký hộ kinh doanh"]),
    ("sổ đỏ", ["giấy chứng nhận quyền sử dụng đất", "đăng ký đất đai"]),
    ("sổ hồng", ["quyền sở hữu nhà ở", "giấy chứng nhận quyền sử dụng đất"]),
    # Selling land is "chuyển nhượng"; the names list it among other transfers
    # ("chuyển đổi…, chuyển nhượng, thừa kế, tặng cho quyền sử dụng đất"), so the word alone too.
    ("sang tên sổ đỏ", ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất", "chuyển nhượng"]),
    ("sang tên đất", ["đăng ký biến động", "chuyển nhượng quyền sử dụng đất", "chuyển nhượng"]),
    ("mua bán đất", ["chuyển nhượng quyền sử dụng đất", "đăng ký biến động", "chuyển nhượng"]),
    # Splitting a plot ("tách sổ đỏ") is "tách thửa" in the official names.
    ("tách sổ", ["tách thửa"]),
    ("tách sổ đỏ", ["tách thửa"]),
    ("QSDĐ", ["quyền sử dụng đất"]),
    ("GCN", ["giấy chứng nhận"]),
    ("làm giấy khai sinh", ["đăng ký khai sinh"]),
    ("giấy khai sinh", ["đăng ký khai sinh", "khai sinh"]),
    ("khai sinh cho con", ["đăng ký khai sinh"]),
    ("làm khai sinh", ["đăng ký khai sinh"]),
    ("giấy chứng tử", ["đăng ký khai tử"]),
    ("báo tử", ["đăng ký khai tử"]),
    ("giấy đăng ký kết hôn", ["đăng ký kết hôn"]),
    ("đăng ký cưới", ["đăng ký kết hôn"]),
    ("giấy độc thân", ["xác nhận tình trạng hôn nhân"]),
    ("xác nhận độc thân", ["xác nhận tình trạng hôn nhân"]),
    ("nhận con", ["nhận cha, mẹ, con"]),
    ("nhận cha", ["nhận cha, mẹ, con"]),
    ("con nuôi", ["nuôi con nuôi"]),
    ("hộ khẩu", ["đăng ký thường trú", "cư trú"]),
    ("nhập hộ khẩu", ["đăng ký thường trú"]),
    ("chuyển hộ khẩu", ["đăng ký thường trú"]),
    ("LLTP", ["lý lịch tư pháp"]),
    ("công chứng", ["chứng thực"]),
    ("sao y", ["chứng thực bản sao"]),
    ("photo công chứng", ["chứng thực bản sao từ bản chính"]),
    ("BHYT", ["bảo hiểm y tế"]),
    ("thẻ bảo hiểm", ["thẻ bảo hiểm y tế"]),
    ("BHXH", ["bảo hiểm xã hội"]),
    ("trợ cấp thất nghiệp", ["bảo hiểm thất nghiệp", "trợ cấp thất nghiệp"]),
    ("MST", ["mã số thuế", "đăng ký thuế"]),
    ("mã số thuế", ["đăng ký thuế"]),
    ("UBND", ["ủy ban nhân dân"]),
    ("phù hiệu xe", ["phù hiệu", "kinh doanh vận tải bằng xe ô tô"]),
    ("xe khách", ["kinh doanh vận tải bằng xe ô tô"]),
    # Names spell both "hằng tháng" and "hàng tháng".
    ("trợ cấp người già", ["trợ cấp xã hội hằng tháng", "trợ cấp xã hội hàng tháng"]),
    ("trợ cấp xã hội", ["trợ cấp xã hội hằng tháng", "trợ cấp xã hội hàng tháng", "trợ giúp xã hội"]),
    ("ATTP", ["an toàn thực phẩm"]),
    ("VSATTP", ["an toàn thực phẩm"]),
    ("bán rượu", ["bán lẻ rượu", "kinh doanh rượu"]),
    ("bán thuốc lá", ["bán lẻ sản phẩm thuốc lá"]),
    ("PCCC", ["phòng cháy, chữa cháy"]),
    ("work permit", ["giấy phép lao động"]),
    ("CCHN", ["chứng chỉ hành nghề"]),
    ("vào lớp 1", ["tuyển sinh"]),
    ("nhập học", ["tuyển sinh"]),
    ("HTX", ["hợp tác xã"]),
    ("định danh điện tử", ["định danh điện tử", "VNeID"]),
    ("đăng kiểm", ["kiểm định"]),
    ("liệt sĩ", ["liệt sĩ", "người có công"]),
    ("thương binh", ["thương binh", "người có công"]),
    # Added with the relevance benchmark (bench/search_queries.json, docs/benchmarks.md):
    # everyday abbreviations and words of the same kind as those above.
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


def seed(apps, schema_editor):
    from services.text import fold, normalize_text

    SearchSynonym = apps.get_model("portal_search", "SearchSynonym")
    for term, expansions in SYNONYMS:
        term = normalize_text(term)
        SearchSynonym.objects.update_or_create(
            term_key=" ".join(fold(term).split()),
            defaults={"term": term, "expansions": "\n".join(expansions), "active": True},
        )


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
