// Renders the SVG icon to a square PNG: render_icon ICON.svg SIZE OUT.png (the packaging's hicolor sizes).

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

int main(int argc, char* argv[])
{
    QGuiApplication app(argc, argv);
    const QStringList args = QGuiApplication::arguments();
    if (args.size() != 4) {
        qCritical("usage: render_icon ICON.svg SIZE OUT.png");
        return 2;
    }
    QSvgRenderer renderer(args.at(1));
    const int size = args.at(2).toInt();
    if (!renderer.isValid() || size <= 0) {
        qCritical("cannot read %s or bad size %s", qPrintable(args.at(1)), qPrintable(args.at(2)));
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();
    QDir().mkpath(QFileInfo(args.at(3)).absolutePath());
    return image.save(args.at(3), "PNG") ? 0 : 1;
}
