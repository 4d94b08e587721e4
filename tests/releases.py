"""Releases written for the syndication tests: one release, its copies as regional portals publish
them, and other releases of the same office (on the same event, and on the same topic)."""

from __future__ import annotations

ORIGINAL = """\
Blitar – Pemerintah Kabupaten Blitar meluncurkan program Gerakan Tanam Cabai Serentak di Desa Sumberagung, Kecamatan Gandusari, Rabu (12/7/2023). Program ini melibatkan 1.250 petani dari 22 kecamatan dan ditargetkan menanam cabai di lahan seluas 410 hektare hingga akhir tahun.

Peluncuran dihadiri Bupati Blitar Rini Syarifah, Kepala Dinas Tanaman Pangan, Hortikultura dan Perkebunan Ir. Bambang Wicaksono, jajaran Forkopimda, para camat, serta kelompok tani dari berbagai desa.

Gerakan tanam serentak disiapkan untuk menekan lonjakan harga cabai yang kerap terjadi menjelang akhir tahun. Setiap kelompok tani menerima bantuan bibit, pupuk organik, mulsa plastik, dan pendampingan dari penyuluh pertanian lapangan.

“Kami ingin petani Blitar tidak hanya menanam, tetapi juga menikmati harga yang layak saat panen. Pemerintah hadir dari hulu sampai hilir,” ujar Bupati Rini Syarifah dalam sambutannya.

Menurut Bambang Wicaksono, produksi cabai Kabupaten Blitar pada tahun lalu mencapai 18.600 ton, namun sebagian besar dijual ke tengkulak dengan harga rendah. Dinas akan menggandeng koperasi dan pasar induk agar hasil panen terserap dengan harga yang stabil.

Ia menambahkan, pemerintah daerah juga menyiapkan gudang berpendingin di Kecamatan Nglegok yang mampu menyimpan 40 ton cabai, sehingga petani dapat menahan penjualan ketika harga sedang jatuh.

Usai peluncuran, Bupati bersama rombongan menanam bibit cabai di lahan percontohan milik Kelompok Tani Sumber Makmur dan berdialog dengan para petani tentang kendala pengairan di musim kemarau."""

PARAGRAPHS = ORIGINAL.split("\n\n")

# Copies as regional portals publish them.
EXACT_COPY = ORIGINAL
OTHER_DATELINE_AND_OUTLET = ORIGINAL.replace(
    "Blitar – Pemerintah Kabupaten Blitar", "BLITAR, KABARJATIM.COM - Pemerintah Kabupaten Blitar", 1)
CHANGED_PARAGRAPH = "\n\n".join(PARAGRAPHS[:5] + [
    "Bambang juga menyebut pemerintah menyiapkan tempat penyimpanan cabai di wilayah Nglegok agar para "
    "petani bisa menunda penjualan saat harga turun, dengan kapasitas sekitar empat puluh ton."
] + PARAGRAPHS[6:])
ADDED_PARAGRAPH = "\n\n".join(PARAGRAPHS[:3] + [
    "Sebelumnya, harga cabai rawit di Pasar Templek sempat menembus Rp 85.000 per kilogram pada Desember "
    "lalu, sehingga memicu inflasi daerah dan keluhan dari pedagang warung makan."
] + PARAGRAPHS[3:])
CUT_PARAGRAPH = "\n\n".join(PARAGRAPHS[:5] + PARAGRAPHS[6:])
REWRITTEN_COPY = "\n\n".join([
    "Blitar (SURYA) - Bupati Blitar Rini Syarifah meluncurkan program Gerakan Tanam Cabai Serentak di Desa "
    "Sumberagung, Kecamatan Gandusari, Rabu (12/7/2023). Program ini melibatkan 1.250 petani dari 22 kecamatan "
    "dan ditargetkan menanam cabai di lahan seluas 410 hektare hingga akhir tahun.",
    *PARAGRAPHS[1:4], PARAGRAPHS[4], PARAGRAPHS[6]])

COPIES = {
    "exact copy": EXACT_COPY,
    "another dateline and outlet": OTHER_DATELINE_AND_OUTLET,
    "a changed paragraph": CHANGED_PARAGRAPH,
    "an added paragraph": ADDED_PARAGRAPH,
    "a cut paragraph": CUT_PARAGRAPH,
    "another dateline, a new lead and a cut paragraph": REWRITTEN_COPY,
}

# The same office on the same event, a week later: the same names, places and figures, other sentences.
FOLLOW_UP = """\
Blitar – Sepekan setelah Gerakan Tanam Cabai Serentak diluncurkan di Desa Sumberagung, Kecamatan Gandusari, Pemerintah Kabupaten Blitar mulai memantau perkembangan tanaman di 22 kecamatan, Rabu (19/7/2023).

Kepala Dinas Tanaman Pangan, Hortikultura dan Perkebunan Ir. Bambang Wicaksono mengatakan, sebagian besar bibit yang dibagikan kepada 1.250 petani tumbuh dengan baik, meski beberapa lahan di wilayah selatan kekurangan air.

“Untuk lahan yang kering, kami sudah meminta bantuan pompa air dari provinsi. Penyuluh juga kami minta datang setiap pekan ke kelompok tani,” kata Bambang saat meninjau lahan di Kecamatan Wates.

Dinas mencatat tanaman cabai di lahan seluas 96 hektare sudah berumur dua minggu. Sisanya akan ditanam bertahap menyesuaikan jadwal hujan dan ketersediaan bibit dari penangkar lokal.

Bupati Blitar Rini Syarifah meminta camat ikut memantau dan melaporkan kendala petani setiap bulan. Ia berharap panen pertama pada Oktober dapat membantu menjaga harga cabai tetap stabil menjelang akhir tahun."""

# The same office on the same topic, another programme.
SAME_TOPIC = """\
Blitar – Dinas Tanaman Pangan, Hortikultura dan Perkebunan Kabupaten Blitar menggelar pelatihan pengendalian hama terpadu bagi 300 petani cabai di Balai Penyuluhan Pertanian Kecamatan Kanigoro, Selasa (8/8/2023).

Pelatihan tersebut membahas cara mengenali serangan thrips, kutu kebul, dan penyakit antraknosa yang sering merusak tanaman cabai pada musim peralihan.

Kepala Dinas Ir. Bambang Wicaksono mengatakan, petani diajak mengurangi pemakaian pestisida kimia dan beralih ke pestisida nabati yang lebih murah serta aman bagi lingkungan.

“Kalau hama bisa dikendalikan sejak awal, hasil panen naik dan biaya produksi turun. Itu yang kami harapkan dari pelatihan ini,” ujarnya.

Peserta juga mendapat paket perangkap lalat buah dan bibit tanaman refugia untuk ditanam di pematang sawah sebagai tempat hidup musuh alami hama."""

DIFFERENT = {"a follow-up on the same event": FOLLOW_UP, "another programme on the same topic": SAME_TOPIC}
