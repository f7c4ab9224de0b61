#include "tuning/gaussianprocess.h"

#include <cmath>
#include <numbers>

#include <nlopt.h>

namespace tunebench::tuning {

namespace {

const double kSqrt5 = std::sqrt(5.0);
// Bounds of the hyperparameters, in log space. The noise floor keeps the kernel matrix well conditioned
// for noise-free objectives; the length scales span far below and far above the unit cube.
const double kMinLogLength = std::log(5e-3);
const double kMaxLogLength = std::log(20.0);
const double kMinLogSignal = std::log(0.05);
const double kMaxLogSignal = std::log(20.0);
const double kMinLogNoise = std::log(1e-10);
const double kMaxLogNoise = std::log(0.5);
// Gamma(3, 8) prior on each length scale: mode 0.25, 90% of the mass between 0.10 and 0.79 of the unit cube.
// Chosen on Branin and Hartmann-6 and checked on four held-out functions (docs/benchmarks.md): Gamma(3, 6)
// (mode 0.33) let the fit explain Hartmann-6's narrow basins with long length scales and noise.
constexpr double kLengthShape = 3.0;
constexpr double kLengthRate = 8.0;

/// Squared distances between rows of a and rows of b (already divided by the length scales).
Eigen::MatrixXd squaredDistances(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b)
{
    Eigen::MatrixXd d = (-2.0 * a) * b.transpose();
    d.colwise() += a.rowwise().squaredNorm();
    d.rowwise() += b.rowwise().squaredNorm().transpose();
    return d.cwiseMax(0.0);
}

Eigen::MatrixXd scaled(const Eigen::MatrixXd& x, const Eigen::VectorXd& logLengthScales)
{
    return x * logLengthScales.array().exp().inverse().matrix().asDiagonal();
}

} // namespace

GpHyperparameters GaussianProcess::defaults(Eigen::Index dimensions)
{
    GpHyperparameters hyper;
    hyper.logLengthScales = Eigen::VectorXd::Constant(dimensions, std::log(0.5));
    return hyper;
}

Eigen::MatrixXd GaussianProcess::kernel(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                        const GpHyperparameters& hyper) const
{
    const Eigen::ArrayXXd r
        = squaredDistances(scaled(a, hyper.logLengthScales), scaled(b, hyper.logLengthScales)).array().sqrt();
    return (std::exp(hyper.logSignalVariance) * (1.0 + kSqrt5 * r + (5.0 / 3.0) * r.square()) * (-kSqrt5 * r).exp())
        .matrix();
}

void GaussianProcess::setData(const Eigen::MatrixXd& x, const Eigen::VectorXd& y)
{
    m_x = x;
    m_yMean = y.mean();
    const double variance = y.size() > 1 ? (y.array() - m_yMean).square().sum() / static_cast<double>(y.size()) : 0;
    m_yScale = variance > 0 ? std::sqrt(variance) : 1.0;
    m_y = (y.array() - m_yMean) / m_yScale;
}

void GaussianProcess::condition(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const GpHyperparameters& hyper)
{
    setData(x, y);
    m_hyper = hyper;
    Eigen::MatrixXd k = kernel(m_x, m_x, hyper);
    double jitter = std::exp(hyper.logNoiseVariance);
    for (int attempt = 0; attempt < 8; ++attempt) {
        Eigen::MatrixXd noisy = k;
        noisy.diagonal().array() += jitter;
        m_chol.compute(noisy);
        if (m_chol.info() == Eigen::Success)
            break;
        jitter *= 10.0; // near-duplicate points: add just enough noise to factorise
    }
    m_alpha = m_chol.solve(m_y);
}

double GaussianProcess::logPosterior(const GpHyperparameters& hyper, Eigen::VectorXd* gradient) const
{
    const Eigen::Index n = m_x.rows();
    const Eigen::Index dims = m_x.cols();
    const Eigen::MatrixXd xs = scaled(m_x, hyper.logLengthScales);
    const Eigen::ArrayXXd r = squaredDistances(xs, xs).array().sqrt();
    const double signal = std::exp(hyper.logSignalVariance);
    const double noise = std::exp(hyper.logNoiseVariance);
    const Eigen::ArrayXXd decay = (-kSqrt5 * r).exp();
    Eigen::MatrixXd k = (signal * (1.0 + kSqrt5 * r + (5.0 / 3.0) * r.square()) * decay).matrix();
    const Eigen::MatrixXd kernelOnly = k;
    k.diagonal().array() += noise;
    const Eigen::LLT<Eigen::MatrixXd> chol(k);
    if (chol.info() != Eigen::Success) {
        if (gradient)
            gradient->setZero(dims + 2);
        return -1e300;
    }
    const Eigen::VectorXd alpha = chol.solve(m_y);
    double value = -0.5 * m_y.dot(alpha) - chol.matrixLLT().diagonal().array().log().sum()
        - 0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi);

    // Priors, on the log values (Jacobian included): Gamma(kLengthShape, kLengthRate) on each length scale,
    // log-normal on the signal variance of standardised data.
    for (Eigen::Index d = 0; d < dims; ++d) {
        const double logLength = hyper.logLengthScales[d];
        value += kLengthShape * logLength - kLengthRate * std::exp(logLength);
    }
    value += -0.5 * hyper.logSignalVariance * hyper.logSignalVariance / 4.0;

    if (gradient) {
        gradient->resize(dims + 2);
        const Eigen::MatrixXd w = alpha * alpha.transpose() - chol.solve(Eigen::MatrixXd::Identity(n, n));
        // d k / d log(l_d) = signal * 5/3 * (1 + sqrt5 r) exp(-sqrt5 r) * (dx_d / l_d)^2
        const Eigen::MatrixXd m = w.cwiseProduct((signal * (5.0 / 3.0) * (1.0 + kSqrt5 * r) * decay).matrix());
        const Eigen::VectorXd rowSums = m.rowwise().sum();
        const Eigen::MatrixXd mx = m * xs;
        for (Eigen::Index d = 0; d < dims; ++d) {
            const double sum = 2.0 * xs.col(d).array().square().matrix().dot(rowSums) - 2.0 * xs.col(d).dot(mx.col(d));
            (*gradient)[d] = 0.5 * sum + kLengthShape - kLengthRate * std::exp(hyper.logLengthScales[d]);
        }
        (*gradient)[dims] = 0.5 * w.cwiseProduct(kernelOnly).sum() - hyper.logSignalVariance / 4.0;
        (*gradient)[dims + 1] = 0.5 * noise * w.trace();
    }
    return value;
}

void GaussianProcess::fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const GpHyperparameters* start)
{
    setData(x, y);
    const Eigen::Index dims = x.cols();
    const auto size = static_cast<unsigned>(dims + 2);
    auto pack = [&](const GpHyperparameters& hyper) {
        std::vector<double> theta(size);
        for (Eigen::Index d = 0; d < dims; ++d)
            theta[static_cast<std::size_t>(d)] = std::clamp(hyper.logLengthScales[d], kMinLogLength, kMaxLogLength);
        theta[size - 2] = std::clamp(hyper.logSignalVariance, kMinLogSignal, kMaxLogSignal);
        theta[size - 1] = std::clamp(hyper.logNoiseVariance, kMinLogNoise, kMaxLogNoise);
        return theta;
    };
    auto unpack = [&](const double* theta) {
        GpHyperparameters hyper;
        hyper.logLengthScales = Eigen::Map<const Eigen::VectorXd>(theta, dims);
        hyper.logSignalVariance = theta[size - 2];
        hyper.logNoiseVariance = theta[size - 1];
        return hyper;
    };
    struct Context
    {
        const GaussianProcess* gp;
        decltype(unpack)* unpacker;
    } context{this, &unpack};
    auto objective = [](unsigned n, const double* theta, double* grad, void* data) -> double {
        const auto* ctx = static_cast<Context*>(data);
        Eigen::VectorXd gradient;
        const double value = ctx->gp->logPosterior((*ctx->unpacker)(theta), grad ? &gradient : nullptr);
        if (grad) {
            for (unsigned i = 0; i < n; ++i)
                grad[i] = -gradient[i];
        }
        return -value;
    };

    std::vector<double> lower(size, kMinLogLength);
    std::vector<double> upper(size, kMaxLogLength);
    lower[size - 2] = kMinLogSignal;
    upper[size - 2] = kMaxLogSignal;
    lower[size - 1] = kMinLogNoise;
    upper[size - 1] = kMaxLogNoise;

    std::vector<GpHyperparameters> starts{defaults(dims)};
    if (start && start->logLengthScales.size() == dims)
        starts.insert(starts.begin(), *start);
    double bestValue = INFINITY;
    GpHyperparameters best = starts.front();
    for (const GpHyperparameters& initial : starts) {
        std::vector<double> theta = pack(initial);
        nlopt_opt optimizer = nlopt_create(NLOPT_LD_LBFGS, size);
        nlopt_set_lower_bounds(optimizer, lower.data());
        nlopt_set_upper_bounds(optimizer, upper.data());
        nlopt_set_min_objective(optimizer, objective, &context);
        nlopt_set_maxeval(optimizer, 200);
        nlopt_set_ftol_rel(optimizer, 1e-9);
        double value = INFINITY;
        nlopt_optimize(optimizer, theta.data(), &value); // a failed run leaves the best point it reached
        nlopt_destroy(optimizer);
        if (!std::isfinite(value))
            value = objective(size, theta.data(), nullptr, &context);
        if (value < bestValue) {
            bestValue = value;
            best = unpack(theta.data());
        }
    }
    condition(x, y, best);
}

void GaussianProcess::predict(const Eigen::MatrixXd& points, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const
{
    const Eigen::MatrixXd cross = kernel(points, m_x, m_hyper); // points x n
    mean = (cross * m_alpha).array() * m_yScale + m_yMean;
    const Eigen::MatrixXd v = m_chol.matrixL().solve(cross.transpose()); // n x points
    const double signal = std::exp(m_hyper.logSignalVariance);
    variance = ((signal - v.colwise().squaredNorm().transpose().array()).max(1e-12) * m_yScale * m_yScale).matrix();
}

} // namespace tunebench::tuning
