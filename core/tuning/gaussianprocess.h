#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace tunebench::tuning {

/// Hyperparameters of the Matern 5/2 kernel with one length scale per input, in log space.
struct GpHyperparameters
{
    Eigen::VectorXd logLengthScales;
    double logSignalVariance = 0.0;
    double logNoiseVariance = std::log(1e-4);
};

/// Gaussian-process regression on inputs in the unit cube: Matern 5/2 kernel with automatic relevance
/// determination, targets standardised internally. fit() chooses the hyperparameters by maximising
/// the log marginal likelihood plus weak priors (L-BFGS on the analytic gradient, NLopt).
class GaussianProcess
{
public:
    /// Conditions on (x, y) with the given hyperparameters, without optimising them.
    void condition(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const GpHyperparameters& hyper);
    /// Optimises the hyperparameters starting from `start` (and from defaults), then conditions.
    void fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const GpHyperparameters* start = nullptr);

    /// Posterior mean and variance of the (unstandardised) latent function at each row of `points`.
    void predict(const Eigen::MatrixXd& points, Eigen::VectorXd& mean, Eigen::VectorXd& variance) const;

    [[nodiscard]] const GpHyperparameters& hyperparameters() const { return m_hyper; }
    /// Log marginal likelihood of the standardised targets plus the log priors; `gradient` (optional) has
    /// one entry per length scale, then signal and noise variance, all with respect to the log values.
    [[nodiscard]] double logPosterior(const GpHyperparameters& hyper, Eigen::VectorXd* gradient) const;

    [[nodiscard]] static GpHyperparameters defaults(Eigen::Index dimensions);
    [[nodiscard]] double yMean() const { return m_yMean; }
    [[nodiscard]] double yScale() const { return m_yScale; }

private:
    void setData(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);
    [[nodiscard]] Eigen::MatrixXd kernel(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                         const GpHyperparameters& hyper) const;

    Eigen::MatrixXd m_x;
    Eigen::VectorXd m_y; ///< standardised
    double m_yMean = 0.0;
    double m_yScale = 1.0;
    GpHyperparameters m_hyper;
    Eigen::LLT<Eigen::MatrixXd> m_chol;
    Eigen::VectorXd m_alpha;
};

} // namespace tunebench::tuning
